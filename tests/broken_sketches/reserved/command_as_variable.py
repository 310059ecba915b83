# expect: line 2, "Pick a different name, like my_size"
size = 40


def draw():
    circle(100, 100, size)
