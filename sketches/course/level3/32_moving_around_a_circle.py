"""Moving around a circle: cos() and sin() turn an angle into a place on a circle.

A planet at angle a, distance d from the sun, sits at x = 300 + cos(a) * d, y = 300 + sin(a)
* d. Make the angle grow with frame_count and the planet orbits. Two planets go round at
different speeds (the inner one is faster, like Venus and the Earth), and every frame a faint
line joins them. Leave it running for half a minute: the lines weave a flower, the same
one the real Venus and Earth draw over eight years.

What it teaches: cos and sin for circles; speed as "degrees per frame"; not clearing the
background lets a picture build up; faint see-through lines add up where they cross.

Run it:   artkit course 32
Copy it:  artkit course 32 --copy      then: artkit run 32_moving_around_a_circle.py
"""

SPEED = 3


def setup():
    size(600, 600)
    background("#070714")


def draw():
    earth = frame_count * SPEED
    venus = earth * 13 / 8                 # Venus goes round 13 times while Earth goes 8
    ex = 300 + cos(earth) * 250
    ey = 300 + sin(earth) * 250
    vx = 300 + cos(venus) * 180
    vy = 300 + sin(venus) * 180

    stroke(lerp_colour("#ff9e00", "#9d4edd", (sin(frame_count) + 1) / 2), 70)
    stroke_weight(1)
    line(ex, ey, vx, vy)

    no_stroke()
    fill("#ffd166")                        # the sun
    circle(300, 300, 26)
    fill("#4cc9f0")
    circle(ex, ey, 10)
    fill("#f72585")
    circle(vx, vy, 8)
