# expect: line 4, "In Python this line is:  if mouse_x > 200:"
def draw():
    background("white")
    if (mouse_x > 200) {
        fill("red")
    }
    circle(200, 200, 100)
