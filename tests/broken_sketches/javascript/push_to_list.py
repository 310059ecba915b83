# expect: line 7, "In Python write  stars.append(...)"
stars = []


def draw():
    background("black")
    stars.push([random(400), random(400)])
    for star in stars:
        circle(star[0], star[1], 3)
