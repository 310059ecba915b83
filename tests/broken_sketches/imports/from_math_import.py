# expect: line 2, "so your angles will come out wrong. Delete this line"
from math import *


def draw():
    background("white")
    x = 200 + cos(frame_count) * 100
    y = 200 + sin(frame_count) * 100
    circle(x, y, 20)
