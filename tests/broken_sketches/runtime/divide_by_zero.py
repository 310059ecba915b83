# expect: line 5, "you divided by zero, which has no answer"
def draw():
    background("white")
    steps = 0
    gap = width / steps
    circle(gap, 100, 20)
