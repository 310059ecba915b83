# expect: line 4, "In artkit, write  random()"
def draw():
    background("white")
    if Math.random() < 0.5:
        fill("black")
    circle(200, 200, 100)
