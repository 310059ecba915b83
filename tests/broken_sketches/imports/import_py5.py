# expect: line 2, "so a sketch doesn't import py5. Delete this line"
import py5


def setup():
    py5.size(400, 400)


def draw():
    py5.circle(py5.mouse_x, py5.mouse_y, 20)
