# expect: line 3, "In artkit, write  map_range(mouse_x, 0, width, 0, 255)"
def draw():
    grey = map(mouse_x, 0, width, 0, 255)
    background(grey)
