# expect: line 4, "Write  no_loop()"
def setup():
    size(400, 400)
    no_loop


def draw():
    background("white")
    circle(random(400), random(400), 50)
