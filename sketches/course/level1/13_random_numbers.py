"""Random numbers: bubbles of random sizes, in random places, in colours picked from a list.

Every frame adds one bubble somewhere new. Because the background is only painted once (in
setup), the bubbles pile up into a picture. Run it twice: it's different every time! (Unless
you run it with a seed: artkit course 13 --seed 5 draws the same picture every time.)

What it teaches: random(600) is a number from 0 to 600; random(10, 80) is from 10 to 80;
random_choice(a_list) picks one thing from a list; a list is written in [square brackets].

Run it:   artkit course 13
Copy it:  artkit course 13 --copy      then: artkit run 13_random_numbers.py
"""

colours = ["#264653", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51"]


def setup():
    size(600, 600)
    background("oldlace")


def draw():
    stroke("oldlace")
    stroke_weight(3)
    fill(random_choice(colours))
    circle(random(600), random(600), random(10, 80))
