# expect: line 3: A '(' is opened here but never closed
def draw():
    circle(200, 200, 50
    fill("red")
