namespace IpIqa.Training.Data.Synthetic;

/// <summary>
/// Signed distance (negative inside) from a point to a shape of radius <c>r</c> centred at the origin
/// and rotated by <c>angle</c>. The rasteriser turns distances into anti-aliased coverage.
/// </summary>
internal static class ShapeField
{
    public static double Distance(ShapeKind shape, double x, double y, double r, double angle)
    {
        var (c, s) = (Math.Cos(-angle), Math.Sin(-angle));
        var (px, py) = ((x * c) - (y * s), (x * s) + (y * c));
        return shape switch
        {
            ShapeKind.Circle => Math.Sqrt((px * px) + (py * py)) - r,
            ShapeKind.Square => Box(px, py, 0.82 * r, 0.82 * r),
            ShapeKind.Triangle => Polygon(px, py, RegularPolygon(3, r, r)),
            ShapeKind.Star => Polygon(px, py, RegularPolygon(5, r, 0.45 * r)),
            ShapeKind.Ring => Math.Abs(Math.Sqrt((px * px) + (py * py)) - (0.72 * r)) - (0.28 * r),
            ShapeKind.Cross => Math.Min(Box(px, py, r, 0.3 * r), Box(px, py, 0.3 * r, r)),
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "Unknown shape."),
        };
    }

    private static double Box(double x, double y, double halfWidth, double halfHeight)
    {
        var qx = Math.Abs(x) - halfWidth;
        var qy = Math.Abs(y) - halfHeight;
        var outside = Math.Sqrt((Math.Max(qx, 0) * Math.Max(qx, 0)) + (Math.Max(qy, 0) * Math.Max(qy, 0)));
        return outside + Math.Min(Math.Max(qx, qy), 0);
    }

    /// <summary>Vertices of a regular polygon (points = 3) or star (inner radius below outer), pointing up.</summary>
    private static (double X, double Y)[] RegularPolygon(int points, double outer, double inner)
    {
        var star = inner < outer;
        var count = star ? points * 2 : points;
        var vertices = new (double X, double Y)[count];
        for (var i = 0; i < count; i++)
        {
            var radius = star && i % 2 == 1 ? inner : outer;
            var theta = (-Math.PI / 2) + (2 * Math.PI * i / count);
            vertices[i] = (radius * Math.Cos(theta), radius * Math.Sin(theta));
        }

        return vertices;
    }

    /// <summary>Distance to the nearest edge, negative inside (even-odd crossing test).</summary>
    private static double Polygon(double x, double y, (double X, double Y)[] v)
    {
        var best = double.MaxValue;
        var inside = false;
        for (int i = 0, j = v.Length - 1; i < v.Length; j = i, i++)
        {
            var (ex, ey) = (v[j].X - v[i].X, v[j].Y - v[i].Y);
            var (wx, wy) = (x - v[i].X, y - v[i].Y);
            var t = Math.Clamp(((wx * ex) + (wy * ey)) / ((ex * ex) + (ey * ey)), 0, 1);
            var (dx, dy) = (wx - (ex * t), wy - (ey * t));
            best = Math.Min(best, (dx * dx) + (dy * dy));
            if ((v[i].Y > y) != (v[j].Y > y) && x < v[i].X + ((y - v[i].Y) * (v[j].X - v[i].X) / (v[j].Y - v[i].Y)))
            {
                inside = !inside;
            }
        }

        return inside ? -Math.Sqrt(best) : Math.Sqrt(best);
    }
}
