# expect: line 9, "Write  flower()"
def flower():
    fill("pink")
    circle(200, 200, 80)


def draw():
    background("white")
    flower
