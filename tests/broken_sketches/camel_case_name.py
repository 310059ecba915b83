# expect: I don't know the name strokeWeight. Did you mean stroke_weight?
def draw():
    strokeWeight(4)
    line(0, 0, width, height)
