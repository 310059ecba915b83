# expect: line 2, "In Python, write  True"
growing = true
size_now = 10


def draw():
    global size_now
    background("white")
    if growing:
        size_now = size_now + 1
    circle(200, 200, size_now)
