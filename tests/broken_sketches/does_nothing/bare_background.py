# expect: line 3, "Write  background(...) with what it needs in the brackets"
def draw():
    background
    circle(mouse_x, mouse_y, 20)
