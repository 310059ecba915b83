# expect: line 7, "repeat(10, flower), not repeat(10, flower())"
def flower():
    circle(random(400), random(400), 20)


def draw():
    repeat(10, flower())
