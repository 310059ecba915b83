# expect: line 4, "In artkit, write  color_mode(HSB)"
def setup():
    size(400, 400)
    colorMode(HSB)


def draw():
    fill(frame_count % 360, 80, 100)
    circle(200, 200, 100)
