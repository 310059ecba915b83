# expect: line 4, "In Python this line is:  if mouse_x > 100 and mouse_x < 300:"
def draw():
    background("white")
    if mouse_x > 100 && mouse_x < 300:
        fill("green")
    rect(100, 0, 200, 400)
