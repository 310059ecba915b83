"""Not so random: noise() makes smooth randomness, for skies and mountain ridges.

random() jumps about: each number has nothing to do with the last. noise(x, y) is different:
it gives a number from 0 to 1 that changes smoothly as x and y change, like hills on a map.
The sky is a texture: each little square is coloured by noise at its place. The ridges are
displacement: each line is pushed up by noise, most in the middle, like the famous cover of
a record of radio signals from a star.

What it teaches: noise(x, y) and how zooming in (dividing x by a bigger number) makes it
smoother; using noise for colour (texture) and for position (displacement); begin_shape(),
vertex() and end_shape() to draw a shape of your own; a function inside a function.

Run it:   artkit course 31
Copy it:  artkit course 31 --copy      then: artkit run 31_not_so_random_noise.py
"""


def sky(column, row):
    amount = noise(column / 8, row / 8)
    fill(lerp_colour("#0b1026", "#3d5a80", amount))
    square(column * 10, row * 10, 10)


def ridge_height(row, x):
    middle = constrain(1 - abs(x - 300) / 170, 0, 1)      # 1 in the middle, 0 at the sides
    return 250 + row * 11 - noise(x / 45, row / 3) * middle * middle * 170


def ridge(row):
    def edge(x):
        vertex(x, ridge_height(row, x))

    no_stroke()                        # first a dark shape that hides the ridges behind...
    fill("#0b1026")
    begin_shape()
    repeat(80, 520, 4, edge)
    vertex(520, 700)
    vertex(80, 700)
    end_shape(CLOSE)
    stroke("white")                    # ...then the white line along its top
    no_fill()
    begin_shape()
    repeat(80, 520, 4, edge)
    end_shape()


def setup():
    size(600, 700)
    no_stroke()
    repeat(0, 59, 1, 0, 69, 1, sky)
    stroke_weight(1.6)
    repeat(0, 36, 1, ridge)
