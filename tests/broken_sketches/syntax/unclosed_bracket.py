# expect: line 3, "a '(' is opened here but never closed"
def draw():
    circle(200, 200, 50
    fill("red")
