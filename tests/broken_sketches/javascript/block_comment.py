# expect: line 2, "In Python this line is:  # My rainbow sketch"
/* My rainbow sketch
   by Sam, age 10 */


def draw():
    background("white")
    fill("red")
    arc(200, 300, 300, 300, 180, 360)
