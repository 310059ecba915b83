# expect: line 2, "In Python this line is:  class Bubble:"
class Bubble {
    constructor(x, y) {
        this.x = x;
        this.y = y;
    }
}
