# expect: line 2, "colours = ["red", "gold", "teal"]"
const colours = ["red", "gold", "teal"];


def draw():
    fill(random_choice(colours))
    circle(random(400), random(400), 30)
