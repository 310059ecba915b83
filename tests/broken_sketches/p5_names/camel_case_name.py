# expect: line 3, "In artkit, write  stroke_weight(4)"
def draw():
    strokeWeight(4)
    line(0, 0, width, height)
