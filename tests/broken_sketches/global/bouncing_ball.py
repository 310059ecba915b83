# expect: line 8, "write  global x  as the first line of draw"
x = 200
speed = 4


def draw():
    background("white")
    x = x + speed
    if x > width or x < 0:
        speed = -speed
    circle(x, 200, 30)
