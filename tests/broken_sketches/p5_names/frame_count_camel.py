# expect: line 4, "In artkit, write  frame_count"
def draw():
    background("white")
    x = frameCount % 400
    circle(x, 200, 40)
