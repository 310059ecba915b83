# expect: line 3, "circle needs 3 numbers: x, y and size. You gave 4."
def draw():
    circle(100, 200, 50, 60)
