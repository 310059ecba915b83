# expect: line 7, "write  global x  as the first line of draw"
x = 0


def draw():
    background("white")
    x = x + 1
    circle(x, 100, 20)
