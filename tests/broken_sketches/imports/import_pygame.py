# expect: line 2, "artkit opens the window and draws for you, so a sketch doesn't need pygame. Delete this line"
import pygame


def draw():
    background("white")
    circle(mouse_x, mouse_y, 30)
