# expect: line 2, "In Python this line is:  x = 50"
int x = 50;


def draw():
    background("white")
    circle(x, 200, 30)
