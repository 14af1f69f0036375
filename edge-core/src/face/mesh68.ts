// Which of FaceMesh's 468 points stand for each of the 68 iBUG 300-W landmarks (jaw 0-16,
// brows 17-26, nose 27-35, eyes 36-47, mouth 48-67), so that the code written for the 68-point
// layout (five alignment points, eye aspect ratio, planar-motion points) runs on the mesh.
// A correspondence table (facts about the two layouts), checked on the public-domain astronaut
// fixture against the 68-point regressor of the legacy set: mean distance per group 4-9 % of
// the eye distance (the layouts' annotation conventions differ slightly on the jaw and brows).
export const MESH_TO_IBUG68: readonly number[] = [
  // jaw, image-left to image-right
  162, 234, 93, 58, 172, 136, 149, 148, 152, 377, 378, 365, 397, 288, 323, 454, 389,
  // brows
  71, 63, 105, 66, 107, 336, 296, 334, 293, 301,
  // nose ridge and base
  168, 197, 5, 4, 75, 97, 2, 326, 305,
  // image-left eye: outer corner, upper lid, inner corner, lower lid
  33, 160, 158, 133, 153, 144,
  // image-right eye: inner corner, upper lid, outer corner, lower lid
  362, 385, 387, 263, 373, 380,
  // outer lips
  61, 39, 37, 0, 267, 269, 291, 405, 314, 17, 84, 181,
  // inner lips
  78, 82, 13, 312, 308, 317, 14, 87,
];
