# expect: line 4, "In Python this line is:  speed = 3"
def draw():
    background("lightblue")
    var speed = 3
    circle(frame_count * speed, 200, 40)
