"""See-through colour: a fourth number makes colours translucent, and busy designs glow.

fill(255, 0, 110, 40) is pink that is only 40 out of 255 solid: you can see what's behind
it. Where see-through shapes overlap, they build up. Hundreds of faint circles along a wave
turn into a ribbon of soft light instead of a muddle. Try changing 35 to 255 and see the
difference!

What it teaches: the alpha number (0 invisible, 255 solid); colour(..., alpha) and
lerp_colour() to blend two colours; layering many faint shapes; random_gaussian() gives
numbers that bunch up near the middle.

Run it:   artkit course 29
Copy it:  artkit course 29 --copy      then: artkit run 29_see_through_colour.py
"""


def light():
    x = random(-50, 650)
    y = 300 + sin(x * 0.6) * 140 + random_gaussian(0, 45)
    mix = lerp_colour("#ff006e", "#3a86ff", x / 600)
    fill(colour(mix, 35))
    circle(x, y, random(10, 90))


def sparkle():
    x = random(600)
    fill(255, 255, 255, random(80, 220))
    circle(x, 300 + sin(x * 0.6) * 140 + random_gaussian(0, 70), random(1, 4))


def setup():
    size(600, 600)
    background("#0b0b1e")
    no_stroke()
    repeat(600, light)
    repeat(200, sparkle)
