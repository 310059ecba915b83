# expect: line 8, "In Python this line is:  x += 1"
x = 0


def draw():
    global x
    background("white")
    x++
    circle(x, 200, 40)
