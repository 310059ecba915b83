"""More loops: repeat(1, 8, 1, square_number) calls square_number(1), (2) ... (8) for you.

The painter Josef Albers spent years painting squares inside squares, sitting low in each
other, to see how colours change each other. Here repeat counts from 1 to 8 and hands the
number to the function, which uses it three ways: for the size, the place and the colour.
The end number (8) is included.

What it teaches: repeat(start, end, step, function); using the counter for size, place and
colour; drawing the biggest first so the smaller ones sit on top.

Run it:   artkit course 25
Copy it:  artkit course 25 --copy      then: artkit run 25_more_loops.py
"""


def square_number(i):
    side = 600 - i * 66
    x = (600 - side) / 2          # centred left to right...
    y = (600 - side) * 0.72       # ...but sitting low, like Albers' squares
    fill(150 + i * 13, 30 + i * 25, 60 - i * 5)
    square(x, y, side)


def setup():
    size(600, 600)
    no_stroke()
    background(120, 20, 60)
    repeat(1, 8, 1, square_number)
