"""Repeating things: repeat(200, star) draws 200 stars with one line.

Writing star() two hundred times would take all day. repeat(200, star) calls the star
function 200 times for you. Notice there are no brackets after star: we hand repeat the
function itself, and repeat does the calling.

What it teaches: repeat(count, function); random places and sizes add up to a night sky.

Run it:   artkit course 22
Copy it:  artkit course 22 --copy      then: artkit run 22_repeating_things.py
"""


def star():
    no_stroke()
    fill(255, 255, random(180, 255), random(100, 255))
    circle(random(600), random(430), random(1, 4))


def glow():
    no_stroke()
    fill(255, 255, 200, 12)
    circle(440, 120, random(70, 180))


def tree():
    x = random(600)
    h = random(40, 110)
    fill("black")
    triangle(x - h / 4, 520, x + h / 4, 520, x, 520 - h)


def setup():
    size(600, 600)
    background("midnightblue")
    no_stroke()
    fill(25, 25, 112)
    rect(0, 250, 600, 350)
    repeat(200, star)
    repeat(20, glow)
    fill("lemonchiffon")
    circle(440, 120, 70)
    repeat(60, tree)
    fill("black")
    rect(0, 515, 600, 85)
