"""Code that creates code: a turtle language, and L-systems that write it and evolve.

A turtle program is a string of commands: F draws forward, + and - turn, [ remembers where
the turtle is and ] goes back there, 4(F100 +90) repeats four times. An L-system is a tiny
program that WRITES turtle programs: start with "X", then again and again replace every X by
"F+[[X]-X]-F[-FX]+X" and every F by "FF". After five rounds it is a long program that draws
a plant. Below, nine plants are shown: the top-left one (in the red frame) is the parent,
the others are its mutants (their rules changed a little at random). Click the one you like best: it becomes
the parent of the next generation. Press a to let the computer choose for you.

What it teaches: programs are text, and programs can write programs; rules applied again
and again make complex shapes; evolution by choosing and mutating.

Run it:   artkit course 36
Copy it:  artkit course 36 --copy      then: artkit run 36_code_that_creates_code.py
Let the computer breed plants: artkit run 36_code_that_creates_code.py --param AUTO=True
"""

AUTO = False                           # True: pick the fittest plant every 30 frames
leaf_colours = ["#6b4226", "#7a5230", "#556b2f", "#6b8e23", "#8fbc3f", "#b5e36c"]
branch_widths = [3, 2.5, 2, 1.5, 1.2, 1]
evolution = Evolution(PLANT, size=9, seed=random_number(1000000))


def setup():
    size(720, 760)
    if not AUTO:
        no_loop()                      # draw only when something changes


def draw():
    if AUTO:
        if frame_count % 30 != 1:      # a new generation every 30 frames
            return
        if frame_count > 1:
            evolution.pick(evolution.best())
    background("#f6f1e7")
    stroke("#e0d6c2")
    stroke_weight(1)
    for edge in [240, 480]:            # the grid between the plants
        line(edge, 0, edge, 720)
        line(0, edge, 720, edge)
    evolution.draw(0, 0, 720, 720, colours=leaf_colours, weights=branch_widths)
    no_fill()
    stroke("#d1495b")
    stroke_weight(4)
    rect(4, 4, 232, 232)               # the parent lives in the first cell
    no_stroke()
    fill("#3d405b")
    text_size(15)
    text(f"generation {evolution.generation_number}:   {evolution.parent.describe()}", 12, 745)
    stroke("#d1495b")
    stroke_weight(2)
    turtle("5(F24 +144)", 680, 738, heading=0)     # a turtle program: a little star


def mouse_pressed(x, y):
    if evolution.pick(evolution.cell_at(x, y, 0, 0, 720, 720)):
        redraw()


def key_pressed(key):
    if key == "a":
        evolution.pick(evolution.best())
        redraw()
