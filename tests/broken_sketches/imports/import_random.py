# expect: line 2, "import random swaps artkit's random command for Python's random, so random(...) on line 7 won't work. Delete this line"
import random


def draw():
    fill("gold")
    circle(random(400), random(400), 20)
