# expect: line 4, "circle needs 3 numbers: x, y and size. You gave 2."
def draw():
    background("white")
    circle(100, 200)
