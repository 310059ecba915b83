# expect: line 6, "In Python this line is:  elif mouse_x < 300:"
def draw():
    background("white")
    if mouse_x < 100:
        fill("red")
    else if mouse_x < 300:
        fill("gold")
    else:
        fill("green")
    circle(mouse_x, 200, 60)
