"""Coordinates and size: build a robot by putting rectangles and circles in the right places.

x counts pixels from the left edge, y counts pixels DOWN from the top. Every part of the
robot is placed with its own x and y, and sized with its width and height.

What it teaches: the canvas is a grid of pixels; (0, 0) is the top-left corner; rect(x, y,
width, height); changing one number moves or stretches one part.

Run it:   artkit course 12
Copy it:  artkit course 12 --copy      then: artkit run 12_coordinates_and_size.py
"""


def setup():
    size(600, 600)


def draw():
    background("lightsteelblue")
    stroke("midnightblue")
    stroke_weight(4)

    fill("slategray")          # the floor
    rect(0, 520, 600, 80)

    fill("silver")             # legs
    rect(230, 420, 50, 110)
    rect(320, 420, 50, 110)
    fill("dimgray")            # feet
    rect(210, 510, 90, 30)
    rect(300, 510, 90, 30)

    fill("lightgray")          # arms
    rect(110, 250, 80, 40)
    rect(410, 250, 80, 40)
    fill("tomato")             # hands
    circle(100, 270, 50)
    circle(500, 270, 50)

    fill("steelblue")          # body
    rect(180, 230, 240, 200)
    fill("gold")               # buttons on the chest
    circle(250, 300, 30)
    circle(300, 300, 30)
    fill("tomato")
    circle(350, 300, 30)
    fill("midnightblue")       # a speaker grille
    rect(240, 350, 120, 50)

    fill("lightgray")          # neck
    rect(280, 200, 40, 30)
    fill("steelblue")          # head
    rect(200, 90, 200, 120)
    fill("white")              # eyes
    circle(255, 140, 50)
    circle(345, 140, 50)
    fill("black")              # pupils look at the mouse
    circle(255 + (mouse_x - 255) / 40, 140 + (mouse_y - 140) / 40, 20)
    circle(345 + (mouse_x - 345) / 40, 140 + (mouse_y - 140) / 40, 20)
    fill("tomato")             # mouth
    rect(265, 180, 70, 12)

    line(300, 90, 300, 45)     # antenna
    fill("red")
    circle(300, 40, 24)
