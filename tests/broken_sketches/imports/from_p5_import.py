# expect: line 2, "artkit already has p5's commands, with Python names (size, circle, fill, mouse_x), so a sketch doesn't import p5. Delete this line"
from p5 import *


def setup():
    size(400, 400)


def draw():
    circle(mouse_x, mouse_y, 20)
