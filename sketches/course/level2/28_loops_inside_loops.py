"""Loops inside loops: cover the whole canvas with tiles, row after row, column after column.

repeat(0, 11, 1, 0, 11, 1, tile) calls tile(column, row) for every column 0 to 11 AND every
row 0 to 11: 144 tiles. Each tile has two quarter circles in opposite corners, turned one of
two ways at random. Alone a tile is dull; together they make winding paths (they're called
Truchet tiles). Click to draw a new maze.

What it teaches: two counters at once; the tile's place is column * size and row * size;
a random choice per tile makes a pattern you couldn't draw by hand.

Run it:   artkit course 28
Copy it:  artkit course 28 --copy      then: artkit run 28_loops_inside_loops.py
"""

TILE = 50


def tile(column, row):
    x = column * TILE
    y = row * TILE
    stroke(lerp_colour("gold", "deeppink", row / 11))
    if random() < 0.5:
        arc(x, y, TILE, TILE, 0, 90)
        arc(x + TILE, y + TILE, TILE, TILE, 180, 270)
    else:
        arc(x + TILE, y, TILE, TILE, 90, 180)
        arc(x, y + TILE, TILE, TILE, 270, 360)


def maze():
    background("#1b1b3a")
    no_fill()
    stroke_weight(9)
    repeat(0, 11, 1, 0, 11, 1, tile)


def setup():
    size(600, 600)
    maze()


def mouse_pressed():
    maze()
