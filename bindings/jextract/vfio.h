/* The VFIO uapi amdvfio binds (amdvfio.bindings.vfio.vfio_h): the legacy container/group path. */
#include <linux/vfio.h>
