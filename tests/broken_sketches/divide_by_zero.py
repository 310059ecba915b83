# expect: artkit found a problem in your sketch, line 5: you divided by zero
def draw():
    background("white")
    steps = 0
    gap = width / steps
    circle(gap, 100, 20)
