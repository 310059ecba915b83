"""Your own photo: load_image() opens a picture file and image() draws it, anywhere, any size.

Put a photo next to this file (say me.jpg) and run
    artkit run photo_tiles.py --param PHOTO=me.jpg
With PHOTO = "default" you get artkit's own sunset. The photo is drawn as rows of tiles; the
arrow keys slide the rows, the mouse wheel makes the tiles bigger or smaller, and the rows
sway with time. Press G to save the next three seconds as a GIF (photo_tiles.gif).

What it teaches: load a picture once, in setup(), and draw it in draw() with
image(photo, x, y, w, h); photo.width and photo.height; key_code with LEFT_ARROW and the other
arrow constants; the mouse_wheel(delta) hook; millis() for time; save_gif to keep a moment.

Run it:   artkit run sketches/course/notes/photo_tiles.py
"""

PHOTO = "default"
TILES = 3              # tiles across the canvas: the wheel changes it


def setup():
    global photo, tiles, slide
    size(600, 450)
    photo = load_image(PHOTO)
    tiles = TILES
    slide = 0


def draw():
    background(25, 25, 35)
    w = width / tiles
    h = w * photo.height / photo.width     # keep the photo's shape
    seconds = millis() / 1000
    row = 0
    y = 0
    while y < height:
        sway = sin(seconds * 90 + row * 40) * w / 8     # each row sways a little behind the last
        x = (slide * (row + 1) + sway) % w - w
        while x < width:
            image(photo, x + 3, y + 3, w - 6, h - 6)
            x = x + w
        y = y + h
        row = row + 1


def key_pressed():
    global slide
    if key_code == LEFT_ARROW:
        slide = slide - 10
    elif key_code == RIGHT_ARROW:
        slide = slide + 10
    elif key_code == UP_ARROW or key_code == DOWN_ARROW:
        slide = 0
    elif key == "g":
        save_gif("photo_tiles.gif", 3)


def mouse_wheel(delta):
    global tiles
    tiles = constrain(tiles + delta, 1, 8)
