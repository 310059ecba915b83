# expect: line 4, "In Python this line is:  # draw the sun"
def draw():
    background("skyblue")
    // draw the sun
    fill("yellow")
    circle(300, 100, 80)
