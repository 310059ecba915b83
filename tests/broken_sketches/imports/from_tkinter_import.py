# expect: line 2, "so a sketch doesn't need tkinter. Delete this line"
from tkinter import *


def draw():
    background("white")
    rect(100, 100, 200, 200)
