# expect: line 2, "artkit has its own turtle, so a sketch doesn't import Python's. Delete this line"
import turtle

t = turtle.Turtle()
for side in range(4):
    t.forward(100)
    t.left(90)
