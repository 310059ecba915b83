# expect: line 6, "In Python this line is:  for i in range(len(colours)):"
colours = ["red", "orange", "yellow", "green", "blue"]


def draw():
    for (let i = 0; i < colours.length; i++) {
        fill(colours[i])
        rect(i * 80, 0, 80, 400)
