"""More flexible loops: Python's for loop, beside repeat, draws string art from times tables.

Put 200 pins round a circle and number them. Join pin 1 to pin 2, pin 2 to pin 4, pin 3 to
pin 6... every pin to the pin at TWICE its number. The lines make a heart shape (a cardioid)!
Times 3, 4 or 5 make other flowers. repeat() places the pins; a for loop joins them, and
another for loop goes through a list of times tables and colours, so three pictures sit on
top of each other.

What it teaches: for i in range(200) counts 0 to 199 (the end is NOT included, unlike
repeat); for table, colour_name in ...: walks through a list; both kinds of loop can do the
same jobs; % wraps round, so pin 250 is pin 50.

Run it:   artkit course 34
Copy it:  artkit course 34 --copy      then: artkit run 34_more_flexible_loops.py
"""

PINS = 200


def pin_place(number):
    angle = number * 360 / PINS + 180
    return 300 + cos(angle) * 260, 300 + sin(angle) * 260


def pin(number):
    x, y = pin_place(number)
    circle(x, y, 4)


def setup():
    size(600, 600)
    background("#0d1b2a")
    stroke_weight(1)
    for table, colour_name in [(2, "#ff6b6b"), (3, "#ffd93d"), (7, "#4d96ff")]:
        stroke(colour(colour_name, 90))
        for i in range(PINS):
            x1, y1 = pin_place(i)
            x2, y2 = pin_place((i * table) % PINS)
            line(x1, y1, x2, y2)
    no_stroke()
    fill("white")
    repeat(0, PINS - 1, 1, pin)
