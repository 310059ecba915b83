# expect: line 2, "In Python this line is:  x = 200"
let x = 200;


def setup():
    size(400, 400)


def draw():
    background("white")
    circle(x, 200, 50)
