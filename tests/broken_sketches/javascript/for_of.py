# expect: line 7, "In Python this line is:  for star in stars:"
stars = [[50, 60], [200, 120], [330, 80]]


def draw():
    background("black")
    for (let star of stars) {
        circle(star[0], star[1], 5)
