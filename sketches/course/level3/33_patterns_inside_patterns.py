"""Patterns inside patterns: a function that calls itself grows a whole tree.

A tree is a trunk with two smaller trees on top, each a branch with two smaller trees on
top... branch() draws one branch, then calls branch() twice for the smaller ones, each turned
a little. The depth counts down each time, and at 0 it draws a blossom instead of calling
itself again: without that stop it would go on for ever (that's called recursion).

What it teaches: recursion; push() and pop() to remember and go back to a place and
direction; translate() and rotate() to move and turn the drawing.

Run it:   artkit course 33
Copy it:  artkit course 33 --copy      then: artkit run 33_patterns_inside_patterns.py
"""


def branch(length, depth):
    stroke(lerp_colour("#f1c0e8", "#3d2c2e", depth / 10))
    stroke_weight(depth * 1.4 + 0.5)
    line(0, 0, 0, -length)
    translate(0, -length)
    if depth == 0:
        no_stroke()
        fill(random_choice(["#ffafcc", "#ffc8dd", "#cdb4db", "white"]), 170)
        circle(0, 0, random(6, 14))
        return
    push()
    rotate(random(12, 34))
    branch(length * random(0.66, 0.8), depth - 1)
    pop()
    push()
    rotate(-random(12, 34))
    branch(length * random(0.66, 0.8), depth - 1)
    pop()


def setup():
    size(600, 640)
    background("#fdf0d5")
    no_stroke()
    fill("#c6d8af")
    ellipse(300, 660, 900, 180)
    translate(300, 610)
    branch(120, 10)
